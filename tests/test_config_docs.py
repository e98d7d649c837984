"""The options are documented from one source: the models' defaults and descriptions.

When an option is added or changed in config/models.py, the sample that `govwatch init`
writes follows by itself, and the README's table must be refreshed with
`python -m config.sample README.md`: this test fails until it is.
"""

import tomllib
from pathlib import Path

from config import Config, SourceConfig
from config.sample import (
    OPTIONAL_SECTIONS,
    README_END,
    README_START,
    SAMPLE_CONFIG,
    SECTIONS,
    option_table,
    readme_with_table,
)

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_table_of_the_configuration_is_documented():
    tables = {name for name in Config.model_fields if name != "path"}
    assert {section for section, _model in SECTIONS} == tables
    for _section, model in SECTIONS:
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"


def test_the_sample_sets_every_option_to_its_default():
    written = tomllib.loads(SAMPLE_CONFIG)
    config = Config.model_validate(written)
    defaults = Config()
    for section, model in SECTIONS:
        if section == "sources":
            continue
        if section in OPTIONAL_SECTIONS:  # shown commented out: absent means "not used"
            assert f"# [{section}]" in SAMPLE_CONFIG and section not in written
            assert all(f"# {name} = " in SAMPLE_CONFIG for name in model.model_fields)
            continue
        assert getattr(config, section) == getattr(defaults, section), section
        for name, field in model.model_fields.items():
            # An option without a default is shown commented out, with an example.
            assert name in written[section] or field.get_default() is None
            assert f"{name} = " in SAMPLE_CONFIG
    [source] = config.sources
    for name, field in SourceConfig.model_fields.items():
        if not field.is_required():
            assert getattr(source, name) == field.get_default(call_default_factory=True), name


def test_the_readme_option_table_matches_the_models():
    readme = README.read_text(encoding="utf-8")
    assert README_START in readme and README_END in readme
    shown = readme.split(README_START, 1)[1].split(README_END, 1)[0].strip("\n")
    assert shown == option_table().strip("\n"), (
        "the README's option table differs from config/models.py: "
        "run `python -m config.sample README.md`"
    )
    assert readme_with_table(readme) == readme

"""Configuration: the govwatch.toml models, loading with clear errors, crontab parsing.

The bottom layer: it imports nothing from the rest of the project, so every other
package can depend on it.
"""

from config.crontab import CrontabError, parse_crontab
from config.loading import load_config
from config.models import (
    DB_ENV,
    DEFAULT_PATH,
    MAX_PAGE_BYTES,
    ClusterConfig,
    Config,
    ConfigError,
    CrawlConfig,
    NotifyConfig,
    SourceConfig,
    StorageConfig,
    WebConfig,
)

__all__ = [
    "DB_ENV",
    "DEFAULT_PATH",
    "MAX_PAGE_BYTES",
    "ClusterConfig",
    "Config",
    "ConfigError",
    "CrawlConfig",
    "CrontabError",
    "NotifyConfig",
    "SourceConfig",
    "StorageConfig",
    "WebConfig",
    "load_config",
    "parse_crontab",
]

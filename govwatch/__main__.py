from govwatch.cli import app

app(prog_name="govwatch")

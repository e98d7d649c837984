"""Sources added, edited and deleted from the web app and the API, and the app kept in step:
its configuration, its dispatcher and, when it runs here, its schedule."""

from __future__ import annotations

from fastapi import FastAPI

from config import Config
from storage.sources import with_stored_sources


def refresh(app: FastAPI) -> Config:
    """Rebuild the app's sources from the file and the database after a change."""
    config = with_stored_sources(app.state.file_config, app.state.db)
    app.state.config = config
    dispatcher = app.state.dispatcher
    if hasattr(dispatcher, "config"):
        dispatcher.config = config
    if app.state.schedule is not None:
        app.state.schedule.update(config)
    return config

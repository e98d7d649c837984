"""Alerts: composing messages from change events and delivering them through Apprise."""

from alerts.outbox import DeliveryReport, dispatch

__all__ = ["DeliveryReport", "dispatch"]

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`, tests and load measurements. Sits on top of every domain app."""

    name = "demo"
    verbose_name = "Demodata"

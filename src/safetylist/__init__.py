"""safetylist: Lüliang's 2022 work-safety task list as a plain-text registry."""

__version__ = "0.1.0"

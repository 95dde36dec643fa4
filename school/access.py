from roster.access import get_child_for_viewer

__all__ = ["get_child_for_viewer"]

"""Walk every URL pattern the project resolves."""

from django.urls import URLResolver, get_resolver


def all_url_names() -> dict[str, str]:
    """{name: route} for every named pattern; admin patterns are reported as 'admin:*'."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
                continue
            route = prefix + str(pattern.pattern)
            if namespace == "admin":
                found["admin:*"] = route
                continue
            if not pattern.name:
                found[f"<unnamed> {route}"] = route
                continue
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = route

    walk(get_resolver().url_patterns, "", None)
    return found

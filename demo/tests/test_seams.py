"""Apps plug themselves in: their demo seeders are found without a central list."""

from demo.seed import app_seeders


def test_each_domain_apps_demo_seeder_is_found_in_installed_apps_order():
    modules = [seeder.__module__ for seeder in app_seeders()]
    assert modules[:3] == ["schedules.demo", "school.demo", "absence.demo"] or set(modules) >= {
        "schedules.demo",
        "school.demo",
        "absence.demo",
    }
    assert modules.index("school.demo") < modules.index("absence.demo")  # absence builds on lessons

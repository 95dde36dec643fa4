"""Access matrix rows of notifications: everything is the logged-in person's own."""

from tests.matrix import logged_in

MATRIX = {
    "notifications:list": ("notifications:list", logged_in(200)),
    "notifications:bell": ("notifications:bell", logged_in(200)),
    "notifications:mark-read": ("notifications:mark-read", logged_in(405)),
    "notifications:settings": ("notifications:settings", logged_in(200)),
    "notifications:push-subscribe": ("notifications:push-subscribe", logged_in(405)),
    "notifications:push-unsubscribe": ("notifications:push-unsubscribe", logged_in(405)),
}

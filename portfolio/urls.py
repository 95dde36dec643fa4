from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.index, name="index"),
    path("ny/<int:group_id>/", views.entry_create, name="entry-create"),
    path("<int:entry_id>/", views.entry_detail, name="entry-detail"),
    path("<int:entry_id>/andra/", views.entry_edit, name="entry-edit"),
    path("<int:entry_id>/ta-bort/", views.entry_delete, name="entry-delete"),
    path("<int:entry_id>/kommentar/", views.entry_comment, name="entry-comment"),
    path("kommentar/<int:comment_id>/dolj/", views.comment_hide, name="comment-hide"),
    path("media/ladda-upp/<int:unit_id>/", views.media_upload, name="media-upload"),
    path("media/<int:media_id>/<str:rendition>/", views.media, name="media"),
    path("barn/<int:child_id>/", views.child_portfolio, name="child-portfolio"),
    path("barn/<int:child_id>/ladda-ner/", views.child_download, name="child-download"),
    path("blogg/grupp/<int:group_id>/", views.blog_open, name="blog-open"),
    path("blogg/<int:blog_id>/", views.blog_detail, name="blog-detail"),
    path("blogg/<int:blog_id>/installningar/", views.blog_settings, name="blog-settings"),
    path("blogg/<int:blog_id>/nytt/", views.post_create, name="post-create"),
    path("blogg/inlagg/<int:post_id>/", views.post_detail, name="post-detail"),
    path("blogg/inlagg/<int:post_id>/kommentar/", views.post_comment, name="post-comment"),
    path("blogg/inlagg/<int:post_id>/ta-bort/", views.post_delete, name="post-delete"),
]

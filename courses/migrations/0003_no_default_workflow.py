"""
Wagtail's migrations give the whole page tree a "Moderators approval"
workflow, so every teacher was offered "Submit to Moderators approval" on
courses nobody moderates. Workflows now apply only where they are set up
(``services.enable_moderation``); the unused workflow itself stays, listed
in the admin for whoever wants it.
"""

from django.db import migrations

DEFAULT_WORKFLOW = "Moderators approval"


def unassign_default_workflow(apps, schema_editor):
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(
        page__depth=1, workflow__name=DEFAULT_WORKFLOW
    ).delete()


def reassign_default_workflow(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    workflow = Workflow.objects.filter(name=DEFAULT_WORKFLOW).first()
    root = Page.objects.filter(depth=1).first()
    if workflow and root:
        WorkflowPage.objects.get_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_unaccent_search_config"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [
        migrations.RunPython(unassign_default_workflow, reassign_default_workflow)
    ]

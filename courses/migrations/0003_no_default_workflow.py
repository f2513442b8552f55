"""
Wagtail's migrations give the whole page tree a "Moderators approval"
workflow, so every teacher was offered "Submit to Moderators approval" on
courses nobody moderates. Workflows now apply only where they are set up
(``services.enable_moderation``). The default workflow and its task are
removed too when nothing ever went through them, so the admin's workflow
lists name only Lophoc's own; with a history they stay, unassigned.
"""

from django.db import migrations

DEFAULT_WORKFLOW = "Moderators approval"


def unassign_default_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")
    WorkflowPage.objects.filter(
        page__depth=1, workflow__name=DEFAULT_WORKFLOW
    ).delete()
    unused = Workflow.objects.filter(
        name=DEFAULT_WORKFLOW,
        workflow_states__isnull=True,
        workflow_pages__isnull=True,
    )
    task_ids = list(unused.values_list("workflow_tasks__task_id", flat=True))
    unused.delete()
    Task.objects.filter(
        pk__in=task_ids, name=DEFAULT_WORKFLOW, task_states__isnull=True
    ).filter(workflow_tasks__isnull=True).delete()


def reassign_default_workflow(apps, schema_editor):
    # A workflow removed above is not recreated: Wagtail's own migration
    # made it from the permissions of that day.
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

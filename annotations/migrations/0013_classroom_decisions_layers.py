"""The decisions stored before decisions had a layer keep what they meant.

Each was one person's, and the suggestion was hidden for them everywhere. An accept whose span is
in a layer other than the person's own (an exercise's key, the consensus) was made for that layer:
it now names it (the newest one, should two people have accepted the same suggestion into one
layer). Every other row (a rejection, an accept into the person's own layer, an accept whose span
is gone) stays a decision in the person's own layer, where all but a few were made: a rejection
never recorded where it was made.
"""
from django.db import migrations


def name_the_layers(apps, schema_editor):
    SuggestionDecision = apps.get_model("annotations", "SuggestionDecision")
    taken = set()
    rows = (
        SuggestionDecision.objects.filter(decision="accepted", layer__isnull=True, annotation__isnull=False)
        .select_related("annotation__layer").order_by("-decided_at", "-pk")
    )
    for decision in rows.iterator():
        layer = decision.annotation.layer
        if layer.kind == "personal" and layer.owner_id == decision.user_id:
            continue
        if (decision.suggestion_id, layer.pk) in taken:
            continue
        taken.add((decision.suggestion_id, layer.pk))
        SuggestionDecision.objects.filter(pk=decision.pk).update(layer=layer)


def forget_the_layers(apps, schema_editor):
    """Back to one decision per person: the newest of each person's, without its layer."""
    SuggestionDecision = apps.get_model("annotations", "SuggestionDecision")
    kept = set()
    for decision in SuggestionDecision.objects.order_by("-decided_at", "-pk").iterator():
        if (decision.suggestion_id, decision.user_id) in kept:
            decision.delete()
            continue
        kept.add((decision.suggestion_id, decision.user_id))
    SuggestionDecision.objects.update(layer=None)


class Migration(migrations.Migration):

    dependencies = [("annotations", "0012_classroom_decisions")]

    operations = [migrations.RunPython(name_the_layers, forget_the_layers)]

"""Decisions on suggestions are per layer: a decision names the layer it was made for (empty: the
decider's own layer), unique per suggestion and layer, so a suggestion decided in a teacher's own
layer is still offered on an exercise's key and the other way round. The rows already stored keep
their meaning in 0013_classroom_decisions_layers."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0011_curation_rejections'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='suggestiondecision',
            name='suggestion_decided_once_per_user',
        ),
        migrations.AddField(
            model_name='suggestiondecision',
            name='layer',
            field=models.ForeignKey(blank=True, help_text="The layer decided for; empty: the person's own layer (as every decision was before layers had their own).", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='suggestion_decisions', to='annotations.layer'),
        ),
        migrations.AddConstraint(
            model_name='suggestiondecision',
            constraint=models.UniqueConstraint(condition=models.Q(('layer__isnull', True)), fields=('suggestion', 'user'), name='suggestion_decided_once_in_own_layer'),
        ),
        migrations.AddConstraint(
            model_name='suggestiondecision',
            constraint=models.UniqueConstraint(fields=('suggestion', 'layer'), name='suggestion_decided_once_per_layer'),
        ),
    ]

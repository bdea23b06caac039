"""What an imported map carried that argmap's own tables do not hold, kept to give it back.

A brat corpus's type names, attributes, ids and exact ``.txt`` text, or an AIF analysis's
speakers, are stored with the document and layer the map went into, keyed by the stored
span and relation ids (``s<pk>``, ``r<pk>``). Exports for that tool read it back
(``selectors.exports``); spans edited since then fall back to argmap's own names.
"""
from __future__ import annotations

from django.db import models


class MapProvenance(models.Model):
    document = models.ForeignKey("annotations.Document", on_delete=models.CASCADE, related_name="map_provenances")
    layer = models.ForeignKey("annotations.Layer", on_delete=models.CASCADE, related_name="map_provenances")
    format = models.CharField(max_length=20, help_text="The format the map was imported from (brat, aif, doccano).")
    source_name = models.CharField(max_length=255, blank=True, help_text="The file (and member) it came from.")
    data = models.JSONField(help_text="Format-specific: spans and relations by stored id, the original text, the conf.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "layer"], name="one_import_provenance_per_document_and_layer"),
        ]

    def __str__(self) -> str:
        return f"{self.format} provenance of document {self.document_id}, layer {self.layer_id}"

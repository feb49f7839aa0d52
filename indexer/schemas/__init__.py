"""Published JSON Schemas (sidecar files: ``sidecar-v1.json``)."""

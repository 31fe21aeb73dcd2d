"""Ensembles as tables: run an ensemble (``ensemble``), its tables (``tables``), storage and sweep outputs."""

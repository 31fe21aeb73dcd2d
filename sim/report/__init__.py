"""Figures and pages of stored runs and sweeps; reads result tables, never simulates (and never loads Numba)."""

"""Piccolo tables of the challenge domain (challenges, ideas, discussions arrive with them)."""

"""Nudges, the people-and-plans side: plans, devices, the dispatcher and what each send became."""

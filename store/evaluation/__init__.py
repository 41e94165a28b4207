"""Measured quality: gold files read, the pipeline scored, the link scorer fitted.

Only the `eval` command (and the offline trainer) import this package; the
import, reading and notes code never do (an import-linter contract says so).
"""

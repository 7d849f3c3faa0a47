"""The matching engine: pure algorithms over plain Python and NumPy data, no Django.

- ``rotations``: tables × rounds for n people with no pair seated together twice, sector-balanced.
- ``assignment``: provably optimal capacity-constrained assignment of demands to holders.
- ``compatibility``: vectorised scores between demands and supply (topics, text, sectors).
"""

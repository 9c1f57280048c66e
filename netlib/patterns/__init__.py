"""Rogers' five customer-network behaviours: taxonomy, per-customer profiles, segments, playbook.

David L. Rogers (*The Network Is Your Customer*, 2010) reads customers in digital networks through
five core behaviours, each with a matching business strategy:

=========== ============================================ ===================================
behaviour   what customers want                          strategy
=========== ============================================ ===================================
access      get what they need fast, anywhere, any time  be faster, be easier
engage      sensory, interactive, relevant content       be a source of valued information
customize   choose and modify what they get              be adaptable
connect     share ideas and opinions with each other     become part of their conversation
collaborate join collective projects                     invite them to collaborate
=========== ============================================ ===================================

This package turns a behavioural event log into that picture:

- :func:`load_taxonomy` maps event types to behaviours (a shipped default, a dict, or a YAML/CSV file);
- :func:`suggest_taxonomy` lists a log's event types with the behaviour the taxonomy gives each or a
  documented keyword rule suggests (``review_posted`` -> connect), for review;
  :func:`taxonomy_from_suggestions` turns the reviewed table into a taxonomy;
- :func:`pattern_profiles` gives one row per customer: counts and shares of each behaviour, intensity,
  recency and breadth, with every event type the taxonomy does not know reported with its count;
- :func:`segments` clusters customers on their behaviour shares (seeded k-means, k by silhouette);
- :func:`behaviour_ladder` counts how many customers reach each rung from access up to collaborate;
- :func:`behaviour_by_position` crosses profiles with centrality (rank correlations with intervals)
  and communities (mean shares, lift, eta squared, Cramér's V);
- :func:`strategy_playbook` recommends a Rogers strategy per segment with the evidence behind it;
- :func:`reconcile_connect` checks that connect events with a target and the interactions the sharing
  network is built from are the same shares.
"""

from netlib.errors import UnmappedEventTypesWarning
from netlib.patterns.playbook import STRATEGIES, strategy_playbook
from netlib.patterns.position import BehaviourPosition, behaviour_by_position
from netlib.patterns.profiles import pattern_profiles
from netlib.patterns.reconcile import reconcile_connect
from netlib.patterns.segments import behaviour_ladder, segments
from netlib.patterns.suggest import suggest_taxonomy, taxonomy_from_suggestions
from netlib.patterns.taxonomy import BEHAVIOURS, default_taxonomy, load_taxonomy, normalize_event_type

__all__ = [
    "BEHAVIOURS",
    "STRATEGIES",
    "BehaviourPosition",
    "UnmappedEventTypesWarning",
    "behaviour_by_position",
    "behaviour_ladder",
    "default_taxonomy",
    "load_taxonomy",
    "normalize_event_type",
    "pattern_profiles",
    "reconcile_connect",
    "segments",
    "strategy_playbook",
    "suggest_taxonomy",
    "taxonomy_from_suggestions",
]

"""A synthetic customer world with known ground truth.

:func:`generate` builds the three input tables of a :class:`~netlib.io.CustomerData` (customers,
interactions, events) from a seed, together with the truth that produced them
(:class:`SyntheticTruth`): which community each customer belongs to, who the planted influencers
are, who passed each item to whom, each customer's latent mix of David L. Rogers' five behaviours
(access, engage, customize, connect, collaborate) and who joined which collaboration project.
Analyses can then be checked against answers that are known, at any size from a few hundred to
millions of customers.

The generator runs in eight steps, all vectorised with numpy (one module each group: :mod:`.graph` for
1-4, :mod:`.items` for 5, :mod:`.events` for 6-8, then :mod:`.assemble` builds the tables):

1. **Communities.** ``n_communities`` groups with heavy-tailed sizes (Pareto weights, largest at
   most ten times the smallest weight), numbered 0..k-1 by decreasing size.
2. **Degrees and friendship ties.** Each customer draws a degree from a discrete power law
   (exponent ``degree_exponent``, mean ``avg_degree``, capped at ``max_degree``); a fraction ``mu``
   of each customer's tie ends (binomially drawn) points outside the own community, the rest inside.
   Ends are paired at random inside each community and across communities (a configuration model
   per block, as in the LFR benchmark of Lancichinetti, Fortunato & Radicchi 2008, equivalently a
   degree-corrected stochastic block model, Karrer & Newman 2011); self-loops and repeated pairs
   are dropped. Each tie gets a strength (Gamma, mean 1) and a usual channel.
3. **Influencers.** ``n_influencers`` customers, drawn with probability proportional to degree,
   get ``influencer_reach`` followers (half in their own community, half anywhere), a
   connect-heavy profile, three times the activity and a doubled share probability.
4. **Rogers profiles.** Each community has a tendency over the five behaviours drawn around
   :data:`BASE_PROFILE`; each customer's latent profile is Dirichlet around the community tendency
   (influencers: halfway towards pure connect). Each customer has an activity (expected number of
   behavioural events; log-normal around ``events_per_customer``).
5. **Cascades.** ``n_items`` items start at roots drawn in proportion to activity x connect share
   and spread by continuous-time independent cascade (Kempe, Kleinberg & Tardos 2003; the timed
   variant of Gomez-Rodriguez, Leskovec & Krause 2010): when a customer adopts an item, each of
   their ties fires once with its probability ``p`` (``share_prob`` x the sender's connect
   propensity x sqrt(tie strength)); a fired tie is a share after a log-normal delay (median
   ``delay_median_hours``). A customer adopts at the first share they receive. Every root shares
   its item with at least one customer.
6. **Messages and the connect budget.** Ordinary messages (interactions of kind ``message``, no
   item) run along friendship ties, Poisson many in proportion to tie strength
   (``messages_per_customer`` per customer on average), dated from the day the tie formed. Each
   customer's connect budget (activity x connect share) beyond their shares becomes referrals
   (to a tie chosen in proportion to strength), reviews, messages to the brand and follows.
7. **Projects.** ``n_projects`` projects, each homed in a community, are joined by customers drawn
   in proportion to activity x collaborate share (a fraction ``mu`` from outside the home community).
   The collaborate budget beyond the joins becomes co_create, forum_answer and idea_vote events.
8. **Access, engage and customize events**: Poisson counts with mean activity x latent share,
   event types from :data:`EVENT_TYPES`, times uniform over the observation window.

Reading the tables
------------------
Interactions have ``kind`` share (with ``item_id``), message or referral. The **share rule**:
for each item, a customer's adoption time is the timestamp of the earliest share of that item they
received, and their cascade parent is the sender of that share (that earliest share is never tied:
no two shares of an item reach a customer in the same second as their first receipt, so the parent
is unique); the root is the one customer who shares
the item before receiving it, and its adoption time is the timestamp of its first share. A customer
may receive an item again later (from another tie); those shares are in the table but do not change
the parent. ``truth.cascades`` is exactly the table this rule reconstructs from the share interactions.

The **reconciliation rule** between the tables: the events with a ``target`` are exactly the
share and referral interactions, one to one. Every interaction of kind ``share`` has one event
``share`` and every interaction of kind ``referral`` one event ``refer``, with customer_id = source
and the same target, timestamp, item_id and channel; every event with a target is such an event.
Interactions of kind ``message`` (private conversations) have no event, and the events without a
target (review, follow, message — a post to the brand's community — and the other four
behaviours) have no interaction. So ``(events.target.notna()).sum()`` equals the number of share
and referral interactions, per customer and per item.

Timestamps are whole seconds in UTC from ``start`` (cascades may run a little past the window).
"""

from __future__ import annotations

from netlib.synth._vocab import BASE_PROFILE, BEHAVIOURS, EVENT_TYPES, KIND_EVENT, SAMPLE_PARAMS
from netlib.synth.world import SyntheticTruth, generate
from netlib.synth.graph import _degrees  # noqa: F401  (tested directly)
from netlib.synth.sample import main, read_truth, write_sample

__all__ = [
    "BEHAVIOURS",
    "EVENT_TYPES",
    "BASE_PROFILE",
    "SAMPLE_PARAMS",
    "KIND_EVENT",
    "SyntheticTruth",
    "generate",
    "write_sample",
    "read_truth",
]

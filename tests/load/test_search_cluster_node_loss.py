"""Past one machine: one node of a three-node engine cluster is lost during a search load and comes back.

The site's client knows every node (SEARCH_ENGINE_URL lists them) and the index keeps one replica per
shard, so losing any one node, even the elected cluster manager, must cost no search its answer:
whether the node shuts down (TERM) or dies in a crash (KILL: no goodbye to the cluster, its
connections simply reset), which is what the README promises survival of.
"""

import time

import pytest

from .helpers import ENGINE_NODES, FIGURES, bad_statuses, hold_latency_ceiling, start_wrk, wrk_paths, wrk_result

pytestmark = pytest.mark.load

SECONDS = 20
CONNECTIONS = 16
FAULT_AFTER = 5  # seconds into the load: long enough for every worker to be searching


@pytest.mark.parametrize("stop_signal", ["TERM", "KILL"])
def test_searches_keep_answering_from_the_engine_while_a_node_is_lost_and_the_cluster_heals(load_site, stop_signal):
    """The cluster manager's node stops (TERM) or is killed (KILL) mid-load: every search from the engine; back, green."""
    cluster = load_site.cluster
    cluster.wait_green()
    stopped = cluster.cluster_manager()
    load = start_wrk(load_site, wrk_paths(load_site, "search", "suggest"), SECONDS, CONNECTIONS, f"node-{stop_signal}")
    try:
        time.sleep(FAULT_AFTER)  # places the fault inside the load; nothing is timed
        cluster.run("stop", node=stopped, stop_signal=stop_signal)
        without = cluster.health(wait_for_status="yellow", nodes=ENGINE_NODES - 1, timeout=60)
        restart = cluster.launch("start", node=stopped)
    finally:
        result = wrk_result(load)
    cluster.finish(restart)
    back = cluster.wait_green(timeout=120)
    FIGURES.append(
        f"node loss (SIG{stop_signal} to node {stopped}, the cluster manager, {FAULT_AFTER} s into {SECONDS} s of "
        f"search at {CONNECTIONS} connections): {result['requests']} requests, p99 {result['p99_ms']} ms, "
        f"statuses {result['statuses']}; {result['kinds']}"
    )
    assert without["number_of_nodes"] == ENGINE_NODES - 1, without
    assert not any(result["socket_errors"].values()), result["report"]
    assert not bad_statuses(result), load_site.server_log()
    assert result["kinds"].get("search_engine", 0) > 0 and result["kinds"].get("suggest_engine", 0) > 0
    # No answer came from the database fallback: the node's loss was not an outage.
    assert not result["kinds"].get("search_database") and not result["kinds"].get("suggest_database"), result["kinds"]
    hold_latency_ceiling(result, "node loss")
    # Back: the node rejoined and every shard copy is assigned again.
    assert back["unassigned_shards"] == 0, back

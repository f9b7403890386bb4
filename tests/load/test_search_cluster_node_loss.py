"""Past one machine: one node of a three-node engine cluster stops during a search load and comes back.

The site's client knows every node (SEARCH_ENGINE_URL lists them) and the index keeps one replica per
shard, so losing any one node, even the elected cluster manager, must cost no search its answer.
"""

import time

import pytest

from .helpers import ENGINE_NODES, FIGURES, bad_statuses, start_wrk, wrk_paths, wrk_result

pytestmark = pytest.mark.load

SECONDS = 20
CONNECTIONS = 16
FAULT_AFTER = 5  # seconds into the load: long enough for every worker to be searching


def test_searches_keep_answering_from_the_engine_while_a_node_is_stopped_and_the_cluster_heals(load_site):
    """The cluster manager's node stops mid-load: every search comes from the engine; back, the cluster is green."""
    cluster = load_site.cluster
    cluster.wait_green()
    stopped = cluster.cluster_manager()
    load = start_wrk(load_site, wrk_paths(load_site, "search", "suggest"), SECONDS, CONNECTIONS, "node-loss")
    try:
        time.sleep(FAULT_AFTER)  # places the fault inside the load; nothing is timed
        cluster.run("stop", node=stopped)
        without = cluster.health(wait_for_status="yellow", nodes=ENGINE_NODES - 1, timeout=30)
        restart = cluster.launch("start", node=stopped)
    finally:
        result = wrk_result(load)
    cluster.finish(restart)
    back = cluster.wait_green(timeout=120)
    FIGURES.append(
        f"node loss (node {stopped}, the cluster manager, stopped {FAULT_AFTER} s into {SECONDS} s of search at "
        f"{CONNECTIONS} connections): {result['requests']} requests, p99 {result['p99_ms']} ms, "
        f"statuses {result['statuses']}; {result['kinds']}"
    )
    assert without["number_of_nodes"] == ENGINE_NODES - 1, without
    assert not any(result["socket_errors"].values()), result["report"]
    assert not bad_statuses(result), load_site.server_log()
    assert result["kinds"].get("search_engine", 0) > 0 and result["kinds"].get("suggest_engine", 0) > 0
    # No answer came from the database fallback: the node's loss was not an outage.
    assert not result["kinds"].get("search_database") and not result["kinds"].get("suggest_database"), result["kinds"]
    # Back: the node rejoined and every shard copy is assigned again.
    assert back["unassigned_shards"] == 0, back

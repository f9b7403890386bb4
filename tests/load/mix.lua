-- wrk script for the load tests: a mix of paths, every answer counted, one JSON line at the end.
--   wrk -t2 -c64 -d60s -s tests/load/mix.lua http://127.0.0.1:PORT -- paths.txt
-- paths.txt holds one path per line (repeat a line to weigh it). Each thread walks the list from
-- its own offset. Counted per answer: its status, and for search and suggest answers whether the
-- engine or the database fallback served them (the search page's Server-Timing header and notice,
-- the suggest JSON's "source"). The JSON line starts with "LOADRESULT " so it can be told from wrk's report.
-- Each search request carries a parameter of its own (&load=<thread>-<n>, which the view ignores):
-- the page cache keeps a search page for a minute, and a load of six cached queries would measure
-- the cache, not search, and never reach the fallback when the engine is down.

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    paths = {}
    for line in io.lines(args[1]) do
        if line ~= "" then
            table.insert(paths, line)
        end
    end
    index = (id * 7) % #paths
    statuses = {}
    kinds = {}
    sent = 0
end

function request()
    index = index % #paths + 1
    local path = paths[index]
    if string.find(path, "/search/?", 1, true) then
        sent = sent + 1
        path = path .. "&load=" .. id .. "-" .. sent
    end
    return wrk.format("GET", path)
end

local function count(tbl, key)
    tbl[key] = (tbl[key] or 0) + 1
end

function response(status, headers, body)
    count(statuses, tostring(status))
    local timing = headers["Server-Timing"] or headers["server-timing"]
    -- Suggest answers carry Server-Timing too (suggest;desc=...): tell them apart from searches first.
    if timing and string.find(timing, "suggest;", 1, true) then
        if string.find(timing, 'desc="engine"', 1, true) then
            count(kinds, "suggest_engine")
        else
            count(kinds, "suggest_database")
        end
    elseif timing then
        if string.find(timing, 'desc="engine"', 1, true) then
            count(kinds, "search_engine")
        elseif string.find(timing, 'desc="database"', 1, true) then
            count(kinds, "search_database")
            if string.find(body, 'class="notice" role="status"', 1, true) then
                count(kinds, "search_database_with_notice")
            end
        end
    else
        count(kinds, "page")
    end
end

local function json_object(tbl)
    local parts = {}
    for key, value in pairs(tbl) do
        table.insert(parts, string.format('"%s": %d', key, value))
    end
    return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
    local all_statuses, all_kinds = {}, {}
    for _, thread in ipairs(threads) do
        for key, value in pairs(thread:get("statuses")) do
            all_statuses[key] = (all_statuses[key] or 0) + value
        end
        for key, value in pairs(thread:get("kinds")) do
            all_kinds[key] = (all_kinds[key] or 0) + value
        end
    end
    local errors = summary.errors
    io.write(string.format(
        'LOADRESULT {"requests": %d, "seconds": %.1f, "p50_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, '
            .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
            .. '"statuses": %s, "kinds": %s}\n',
        summary.requests,
        summary.duration / 1e6,
        latency:percentile(50) / 1000,
        latency:percentile(99) / 1000,
        latency.max / 1000,
        errors.connect,
        errors.read,
        errors.write,
        errors.timeout,
        json_object(all_statuses),
        json_object(all_kinds)
    ))
end

-- wrk script for `make bench`: walks a list of paths, counts every answer's status, and prints one
-- JSON line at the end ("BENCHRESULT {...}") with the latency percentiles the bench reports.
--   wrk -t1 -c8 -d10s -s bench/paths.lua http://127.0.0.1:PORT -- paths.txt
-- paths.txt holds one path per line; each thread starts at its own offset. A bench run whose
-- result has socket errors or a status outside 2xx is marked failed (bench/common.py).

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
end

function request()
    index = index % #paths + 1
    return wrk.format("GET", paths[index])
end

function response(status, headers, body)
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
    local all = {}
    for _, thread in ipairs(threads) do
        for key, value in pairs(thread:get("statuses")) do
            all[key] = (all[key] or 0) + value
        end
    end
    local parts = {}
    for key, value in pairs(all) do
        table.insert(parts, string.format('"%s": %d', key, value))
    end
    local errors = summary.errors
    io.write(string.format(
        'BENCHRESULT {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, '
            .. '"max_ms": %.2f, "socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
            .. '"statuses": {%s}}\n',
        summary.requests,
        summary.duration / 1e6,
        latency:percentile(50) / 1000,
        latency:percentile(95) / 1000,
        latency:percentile(99) / 1000,
        latency.max / 1000,
        errors.connect,
        errors.read,
        errors.write,
        errors.timeout,
        table.concat(parts, ", ")
    ))
end

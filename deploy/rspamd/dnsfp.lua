-- dnsfp for rspamd 3.x: a TXT-based symbol, DNSFP_OS, whose option is the OS dnsfp fingerprinted for the sending
-- host ("AIX", "Linux 2.6"): the start of the TXT record of <reversed ip>.fp.example.org. Install as (or append to)
-- /etc/rspamd/rspamd.local.lua; change the zone below. Scores per band come from rbl.conf.dnsfp.
local zone = 'fp.example.org'

rspamd_config:register_symbol({
  name = 'DNSFP_OS',
  score = 0.0,
  group = 'rbl',
  description = 'OS fingerprint of the sending host (dnsfp TXT record)',
  callback = function(task)
    local ip = task:get_from_ip()
    if not ip or not ip:is_valid() or ip:is_local() then return end
    local name = table.concat(ip:inversed_str_octets(), '.') .. '.' .. zone
    task:get_resolver():resolve_txt({
      task = task,
      name = name,
      callback = function(_, _, results, err)
        if err or not results or not results[1] then return end
        task:insert_result('DNSFP_OS', 1.0, string.match(results[1], '^([^;]+)') or results[1])
      end,
    })
  end,
})

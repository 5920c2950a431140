using StackExchange.Redis;

namespace DnsFp.Contract;

/// <summary>How both programs connect: never block start-up on Redis, fail calls fast while it is away.</summary>
public static class RedisConnection
{
    public static ConfigurationOptions Options(string endpoint)
    {
        var options = ConfigurationOptions.Parse(endpoint);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 5000;
        options.AsyncTimeout = 5000;
        options.ClientName ??= "dnsfp";
        // dnsfp's Redis users may touch dnsfp:* keys only (deploy/redis/users.acl.example): no tie-breaker key, no
        // configuration channel, and no server-admin commands on connect. dnsfp uses one Redis (or Sentinel).
        options.TieBreaker = "";
        options.ConfigurationChannel = "";
        options.CommandMap = CommandMap.Create(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "INFO", "CONFIG", "CLUSTER" }, available: false);
        return options;
    }

    /// <summary>
    /// For agents, whose Redis user may run XADD and nothing else (deploy/redis/users.acl.example): the client is
    /// told not to use the commands it would otherwise send on connect (ECHO, INFO, CONFIG, CLIENT, CLUSTER,
    /// SUBSCRIBE, the tie-breaker GET), so it connects with that user alone.
    /// </summary>
    public static ConfigurationOptions AppendOnly(string endpoint)
    {
        var options = Options(endpoint);
        options.CommandMap = CommandMap.Create(
            new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ECHO", "INFO", "CONFIG", "CLIENT", "CLUSTER", "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "GET", "SELECT" },
            available: false);
        return options;
    }

    /// <summary>The endpoints of a configuration string, for messages: never the user's password.</summary>
    public static string Describe(string endpoint)
    {
        try { return string.Join(",", ConfigurationOptions.Parse(endpoint).EndPoints.Select(e => e.ToString())); }
        catch (ArgumentException) { return "(unreadable Redis setting)"; }
    }
}

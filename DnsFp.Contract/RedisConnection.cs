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
        // configuration channel, and no server-admin commands on connect. CLUSTER stays: on a Redis Cluster the client
        // learns the slot map with CLUSTER NODES (the users have +cluster|nodes), elsewhere Redis answers it with an
        // error that the client takes as "not a cluster". With serviceName= the client asks the sentinels for the
        // primary and follows their switch-master notices.
        options.TieBreaker = "";
        options.ConfigurationChannel = "";
        options.CommandMap = CommandMap.Create(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "INFO", "CONFIG" }, available: false);
        return options;
    }

    /// <summary>
    /// For agents, whose Redis user may append facts and nothing else (XADD, and WAIT to learn that a replica has them;
    /// deploy/redis/users.acl.example): the client is told not to use the commands it would otherwise send on connect
    /// (ECHO, INFO, CONFIG, CLIENT, SUBSCRIBE, the tie-breaker GET), so it connects with that user alone.
    /// </summary>
    public static ConfigurationOptions AppendOnly(string endpoint)
    {
        var options = Options(endpoint);
        options.CommandMap = CommandMap.Create(
            new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ECHO", "INFO", "CONFIG", "CLIENT", "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "GET", "SELECT" },
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

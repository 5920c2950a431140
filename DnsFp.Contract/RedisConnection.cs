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
        return options;
    }
}

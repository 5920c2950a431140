using System.Net;
using DnsFp.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DnsFp.Tests.Server.Hosting;

/// <summary>
/// Server:Listen as the configuration binder fills it: the binder appends to a list it finds, so a default in the list
/// itself was served besides the configured addresses (found by the package test: 127.0.0.1:53 bound as well).
/// </summary>
public sealed class ListenSettingTests
{
    private static List<IPEndPoint> Endpoints(params (string Key, string? Value)[] settings)
    {
        using var host = ServerHost.Build(extraSettings: settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return [.. host.Services.GetRequiredService<IOptions<ServerOptions>>().Value.ListenEndpoints()];
    }

    [Fact]
    public void Configured_addresses_replace_the_default()
    {
        var endpoints = Endpoints(("Server:Listen:0", "127.0.0.153:5353"), ("Server:Listen:1", "[::1]:5353"));
        Assert.Equal([IPEndPoint.Parse("127.0.0.153:5353"), IPEndPoint.Parse("[::1]:5353")], endpoints);
    }

    [Fact]
    public void The_shipped_settings_listen_once_on_the_default()
    {
        // appsettings.json next to the test binary is the program's own, which names the default address once
        Assert.Equal([IPEndPoint.Parse(ServerOptions.DefaultListen)], Endpoints());
    }
}

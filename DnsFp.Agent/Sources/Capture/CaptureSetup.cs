using DnsFp.Agent.Fingerprints;
using DnsFp.Agent.Hosting;
using DnsFp.Agent.Spool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Sources.Capture;

/// <summary>Registers the SYN capture source when Agent:CaptureInterface is set, with its signature databases loaded once.</summary>
internal static class CaptureSetup
{
    public static IServiceCollection AddCaptureSource(this IServiceCollection services, AgentOptions o)
    {
        if (o.CaptureInterface is not { } device) return services;
        return services.AddSingleton<IHostedService>(sp => new CaptureSource(device, o.EffectiveCapturePorts,
            SignatureDatabase.Load(o.EffectiveCaptureDatabases, o.P0fCompatible), sp.GetRequiredService<FactSpool>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CaptureSource>>()));
    }
}

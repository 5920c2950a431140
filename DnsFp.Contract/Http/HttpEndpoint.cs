using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace DnsFp.Contract.Http;

/// <summary>
/// The HTTP listener of either program (Kestrel, because it is hardened against hostile requests and is AOT-safe):
/// /metrics in the Prometheus text format from the program's MeterProvider, and the pages its features registered as
/// <see cref="HttpRoute"/>s. Read-only: GET and HEAD only, exact paths only (nothing is served from disk, so there is
/// nothing to traverse), small request limits (a huge header gets 431), optional basic authentication on everything.
/// It runs as a small web application of its own inside the program's host, so the DNS or agent host stays a plain
/// generic host and pays nothing when HTTP is off.
/// </summary>
public sealed partial class HttpEndpoint(HttpOptions options, IEnumerable<HttpRoute> routes, MeterProvider meters, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    public const string MetricsPath = "/metrics";
    private readonly ILogger _logger = loggers.CreateLogger<HttpEndpoint>();
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = options.Endpoint();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "dnsfp" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(endpoint);
            k.AddServerHeader = false;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.Limits.MaxRequestHeaderCount = 50;
            k.Limits.MaxRequestLineSize = 4096;
            k.Limits.MaxRequestBodySize = 0;
            k.Limits.MaxConcurrentConnections = 64;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddSingleton(loggers);                 // the program's log lines, not a second logger setup
        var app = builder.Build();
        var auth = new BasicAuthentication(options);
        var pages = routes.ToDictionary(r => r.Path, r => r.Handle, StringComparer.Ordinal);
        app.Use(async (context, next) =>
        {
            var response = context.Response;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.CacheControl = "no-store";
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                response.Headers.Allow = "GET, HEAD";
                await response.WriteAsync("only GET and HEAD\n");
                return;
            }
            if (!auth.Allows(context.Request)) { await BasicAuthentication.ChallengeAsync(context); return; }
            await next(context);
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meters, predicate: null, path: MetricsPath, configureBranchedPipeline: null, optionsName: null);
        app.Run(context =>
        {
            if (pages.TryGetValue(context.Request.Path.Value ?? "", out var page)) return page(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync("not found\n");
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new IOException($"cannot serve HTTP on {endpoint} (Http:Listen): {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        _app = app;
        LogListening(_logger, endpoint, string.Join(' ', pages.Keys.Append(MetricsPath).Order(StringComparer.Ordinal)),
            auth.IsRequired ? "basic authentication" : IPAddress.IsLoopback(endpoint.Address) ? "no authentication (loopback)" : "no authentication");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _app = null;
    }

    [LoggerMessage(1100, LogLevel.Information, "HTTP on http://{Endpoint}: {Paths}; {Authentication}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endpoint, string paths, string authentication);
}

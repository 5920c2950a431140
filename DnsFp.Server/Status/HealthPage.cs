using System.Globalization;
using DnsFp.Server.Index;
using DnsFp.Server.Metrics;
using Microsoft.AspNetCore.Http;

namespace DnsFp.Server.Status;

/// <summary>
/// "/health" for load balancers and monitors: 200 "ok" when Redis answered the last probe and the index is loaded,
/// else 503 with what is wrong. DNS keeps answering from memory either way; this says whether it is current.
/// </summary>
internal sealed class HealthPage(IndexHolder index, ServerHealth health)
{
    public Task HealthAsync(HttpContext context)
    {
        var problems = new List<string>();
        if (health.RedisRoundTripSeconds < 0) problems.Add("Redis is not answering");
        if (health.IndexAgeSeconds is null) problems.Add("the index is not loaded yet");
        var age = health.IndexAgeSeconds;
        string detail = string.Create(CultureInfo.InvariantCulture,
            $"addresses {index.Addresses.Count}, labels {index.Labels.Count}, index in step {(age is { } a ? a.ToString("0.0", CultureInfo.InvariantCulture) + " s ago" : "never")}, fold backlog {health.FoldBacklog}");
        context.Response.StatusCode = problems.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync((problems.Count == 0 ? "ok" : string.Join("; ", problems)) + "\n" + detail + "\n");
    }
}

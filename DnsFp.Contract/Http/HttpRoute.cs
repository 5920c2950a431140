using Microsoft.AspNetCore.Http;

namespace DnsFp.Contract.Http;

/// <summary>One page of the HTTP listener: an exact path and what answers it. Each feature registers its own in DI.</summary>
public sealed record HttpRoute(string Path, RequestDelegate Handle);

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DnsFp.Contract.Http;

/// <summary>RFC 7617 basic authentication against one configured user and password, compared in constant time.</summary>
public sealed class BasicAuthentication(HttpOptions options)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(options.User + ":" + options.Password);

    public bool IsRequired => options.RequiresAuthentication;

    public bool Allows(HttpRequest request)
    {
        if (!IsRequired) return true;
        string? header = request.Headers.Authorization;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || header.Length > 1024) return false;
        Span<byte> given = stackalloc byte[768];
        if (!Convert.TryFromBase64String(header.AsSpan(6).Trim().ToString(), given, out int length)) return false;
        return CryptographicOperations.FixedTimeEquals(given[..length], _expected);
    }

    public static Task ChallengeAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"dnsfp\", charset=\"UTF-8\"";
        return context.Response.WriteAsync("authentication required\n");
    }
}

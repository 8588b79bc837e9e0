using System.Net;

namespace Hearth.Web.Infrastructure.Security;

/// <summary>
/// Hearth's cookies are all <c>__Host-</c> cookies and so Secure. Browsers treat <c>http://127.0.0.1</c> and
/// <c>http://localhost</c> as secure contexts and keep Secure cookies there, so a request over plain HTTP whose
/// both ends are the loopback interface (a demo, a developer, the browser tests) is treated as secure. Any other
/// plain-HTTP request stays insecure, and the antiforgery system refuses to issue tokens on it: a real
/// installation is reached over HTTPS.
/// </summary>
public sealed class LoopbackIsSecure(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = context.Connection;
        if (!context.Request.IsHttps &&
            connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote) &&
            connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local))
        {
            context.Request.Scheme = Uri.UriSchemeHttps;
        }

        return next(context);
    }
}

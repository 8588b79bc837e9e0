namespace Hearth.Web.Infrastructure;

/// <summary>
/// Which paths are the API (answered for programs: a bare 401 instead of the sign-in redirect, bare statuses
/// instead of the HTML status page): everything under <c>/api</c> except the API reference page
/// (<c>/api/reference</c>), which is a page for people.
/// </summary>
public static class ApiPaths
{
    public const string ReferencePage = "/api/reference";

    public static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments(ReferencePage, StringComparison.OrdinalIgnoreCase);
}

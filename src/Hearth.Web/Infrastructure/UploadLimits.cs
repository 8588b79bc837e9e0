namespace Hearth.Web.Infrastructure;

/// <summary>How big an uploaded agency extract may be, for the upload page and the imports API.</summary>
public static class UploadLimits
{
    /// <summary>256 MiB: a large council extract; bigger files go through <c>hearth import</c> on the server.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>The file names the upload accepts: CSV text or an Excel workbook.</summary>
    public static bool IsAcceptedName(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() is ".csv" or ".txt" or ".xlsx";
}

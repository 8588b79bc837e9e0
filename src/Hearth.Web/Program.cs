using System.Diagnostics.CodeAnalysis;
using Hearth.Core.Data;

namespace Hearth.Web;

/// <summary>The web app's entry point; the in-process test hosts start the app through this type.</summary>
[SuppressMessage("Design", "CA1052:Static holder types should be Static or NotInheritable",
    Justification = "WebApplicationFactory<T> needs a non-static entry-point type.")]
public sealed class Program
{
    private Program()
    {
    }

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddHearthWeb();
        var app = builder.Build();
        await app.Services.MigrateHearthDatabaseAsync();
        app.UseHearthWeb();
        await app.RunAsync();
    }
}

using Hearth.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddHearthWeb();
var app = builder.Build();
app.UseHearthWeb();
await app.RunAsync();

/// <summary>Entry point, visible to the in-process test hosts.</summary>
public partial class Program;

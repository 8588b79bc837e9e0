using Hearth.BrowserTests.Infrastructure;

[assembly: AssemblyFixture(typeof(BrowserHost))]

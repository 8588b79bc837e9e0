namespace Hearth.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that run <c>hearth</c> verbs in process and read what they print swap the process-wide
/// <see cref="Console"/> writers; they run alone, one at a time, so no other test's output lands in theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCapture
{
    public const string Name = "in-process commands that capture the console";
}

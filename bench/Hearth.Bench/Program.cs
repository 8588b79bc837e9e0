using Hearth.Bench;

return BenchRunner.Run(args);

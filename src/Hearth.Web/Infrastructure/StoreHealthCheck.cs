using Hearth.Core.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hearth.Web.Infrastructure;

/// <summary>Healthy when the store answers a query.</summary>
public sealed class StoreHealthCheck(HearthDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the store does not answer");
}

using RealtimeHead.Server;
using RealtimeHead.Server.Hosting;

// `--healthcheck`: the container's liveness probe (GET /healthz of this configuration's server), not a server.
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddRealtimeHead();
var app = builder.Build();
app.MapRealtimeHead();
app.Run();
return 0;

/// <summary>The entry point (public so test hosts can name the assembly).</summary>
public partial class Program;

using RealtimeHead.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddRealtimeHead();
var app = builder.Build();
app.MapRealtimeHead();
app.Run();

/// <summary>The entry point (public so test hosts can name the assembly).</summary>
public partial class Program;

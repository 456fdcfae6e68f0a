using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>The JSON-lines event store and the fold of a log into a swap's state, without any chain.</summary>
public sealed class SwapStoreTests : IDisposable
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private readonly SwapStore store = new(Directory.CreateTempSubdirectory("excraft-swapstore-").FullName);

    private static SwapAgreement Terms() => new(SHA256.HashData(Secret),
        new LegTerms("excraft", "EXT", 5, "ext1recipient", "ext1refund", 1000, 1),
        new LegTerms("ethereum", "ETH", 7, "0x01", "0x02", 2000, 1));

    private string CreateParticipantLog()
    {
        var terms = Terms();
        store.Append(terms.Id, SwapEventTypes.Created, new JsonObject { ["id"] = terms.Id, ["role"] = "participant", ["terms"] = terms.ToJson() });
        return terms.Id;
    }

    [Fact]
    public void A_line_torn_by_a_crash_is_ignored_and_overwritten_by_the_next_event()
    {
        var id = CreateParticipantLog();
        store.Append(id, SwapEventTypes.CounterLockAccepted, new JsonObject { ["ref"] = "0xaa", ["confirmations"] = 1 });
        File.AppendAllText(store.PathOf(id), "{\"seq\":3,\"type\":\"own_lock_pre"); // the crash hit mid-write

        Assert.Equal([SwapEventTypes.Created, SwapEventTypes.CounterLockAccepted], store.Read(id).Select(e => e.Type));
        var next = store.Append(id, SwapEventTypes.OwnLockPrepared, new JsonObject { ["ref"] = "0xbb" });

        Assert.Equal(3, next.Seq);
        var lines = File.ReadAllText(store.PathOf(id), Encoding.UTF8).Split('\n');
        Assert.Equal(4, lines.Length); // three events and the empty string after the last newline
        Assert.Equal("", lines[^1]);
        var state = SwapState.Fold(store.Read(id));
        Assert.Equal("0xaa", state.CounterLockRef);
        Assert.Equal("0xbb", state.OwnLock!.Ref);
    }

    [Fact]
    public void A_damaged_complete_line_is_an_error_not_a_silent_loss()
    {
        var id = CreateParticipantLog();
        File.AppendAllText(store.PathOf(id), "not json\n");
        Assert.Throws<InvalidDataException>(() => store.Read(id));
    }

    [Fact]
    public void The_participant_learns_the_secret_only_from_a_preimage_of_the_hash_lock()
    {
        var id = CreateParticipantLog();
        store.Append(id, SwapEventTypes.OwnClaimed, new JsonObject { ["tx"] = "t1", ["preimage"] = "0x" + Convert.ToHexString(new byte[32]) });
        Assert.Null(SwapState.Fold(store.Read(id)).Secret);

        var other = Terms() with { HashLock = SHA256.HashData(new byte[32]) };
        store.Append(other.Id, SwapEventTypes.Created, new JsonObject { ["id"] = other.Id, ["role"] = "participant", ["terms"] = other.ToJson() });
        store.Append(other.Id, SwapEventTypes.OwnClaimed, new JsonObject { ["tx"] = "t2", ["preimage"] = "0x" + Convert.ToHexString(new byte[32]) });
        Assert.Equal(new byte[32], SwapState.Fold(store.Read(other.Id)).Secret);
        Assert.Equal(new[] { id, other.Id }.Order(StringComparer.Ordinal), store.SwapIds());
    }

    [Fact]
    public void Terms_round_trip_through_json_and_bad_terms_are_refused()
    {
        var terms = Terms();
        var back = SwapAgreement.FromJson(JsonNode.Parse(terms.ToJson().ToJsonString()));
        Assert.Equal(terms.HashLock, back.HashLock);
        Assert.Equal(terms.InitiatorLeg, back.InitiatorLeg);
        Assert.Equal(terms.ParticipantLeg, back.ParticipantLeg);

        var json = terms.ToJson();
        json["participantLeg"]!["amount"] = "0";
        Assert.Contains("amount must be positive", Assert.Throws<ArgumentException>(() => SwapAgreement.FromJson(json)).Message);
        json = terms.ToJson();
        json["hashLock"] = "0x1234";
        Assert.Contains("32 bytes", Assert.Throws<ArgumentException>(() => SwapAgreement.FromJson(json)).Message);
    }

    public void Dispose()
    {
        try { Directory.Delete(store.Directory, recursive: true); } catch (IOException) { }
    }
}

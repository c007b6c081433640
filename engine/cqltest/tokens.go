package cqltest

import (
	"encoding/hex"
	"math"
	"math/big"
	"sort"
	"strconv"
)

// allocateTokens gives each of n nodes k Murmur3 tokens, spread evenly over
// the whole ring [-2^63, 2^63) and interleaved between nodes, as a balanced
// vnode allocation would be. Tokens are the decimal strings system.local
// and system.peers list.
func allocateTokens(n, k int) [][]string {
	total := int64(n * k)
	step := new(big.Int).Div(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(total))
	out := make([][]string, n)
	for i := int64(0); i < total; i++ {
		t := new(big.Int).Mul(step, big.NewInt(i))
		t.Add(t, big.NewInt(math.MinInt64))
		// Offset by half a step so that no token sits on the ring's minimum,
		// which Murmur3Partitioner reserves.
		t.Add(t, new(big.Int).Rsh(step, 1))
		node := int(i % int64(n))
		out[node] = append(out[node], strconv.FormatInt(t.Int64(), 10))
	}
	return out
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

func sortStrings(s []string) { sort.Strings(s) }

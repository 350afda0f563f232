package data

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes d as comma-separated lines that ReadCSV reads back: a
// header line of the feature names and the target name when header is
// set, then one line per sample, its features and then its label (or its
// regression targets). Numbers are written in the shortest form that
// reads back to the same float64; fields that need it are quoted.
func WriteCSV(w io.Writer, d *Dataset, header bool) error {
	bw := bufio.NewWriter(w)
	var line []byte
	field := func(s string) {
		if strings.ContainsAny(s, ",\"\r\n") || strings.TrimSpace(s) != s {
			s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		line = append(line, s...)
	}
	if header {
		for j := range d.X.Cols() {
			name := "col" + strconv.Itoa(j+1)
			if j < len(d.Features) {
				name = d.Features[j]
			}
			field(name)
			line = append(line, ',')
		}
		if d.Labels != nil || d.Y != nil {
			field(d.Target)
		} else {
			line = line[:len(line)-1]
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	for i := range d.Len() {
		line = line[:0]
		for _, v := range d.X.Row(i) {
			line = strconv.AppendFloat(line, v, 'g', -1, 64)
			line = append(line, ',')
		}
		switch {
		case d.Labels != nil:
			field(d.Labels[i])
		case d.Y != nil:
			for _, v := range d.Y.Row(i) {
				line = strconv.AppendFloat(line, v, 'g', -1, 64)
				line = append(line, ',')
			}
			line = line[:len(line)-1]
		default:
			line = line[:len(line)-1]
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

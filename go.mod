module github.com/nerve-ml/nerve

go 1.26

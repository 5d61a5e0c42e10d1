module kassa/tests/go

go 1.19

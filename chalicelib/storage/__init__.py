"""DynamoDB storage through PynamoDB: the only package that imports pynamodb."""
